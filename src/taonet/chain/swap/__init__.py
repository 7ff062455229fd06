"""Key swaps (Subtensor's ``swap/``; named ``keyswap`` so it cannot be confused with an AMM)."""
