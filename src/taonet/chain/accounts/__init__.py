"""Accounts: free balances and the Balances pallet's transfer calls."""
