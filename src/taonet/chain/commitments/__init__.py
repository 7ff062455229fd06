"""Commitments (``pallet_commitments``, pallet index 18): data a hotkey publishes for its subnet.

A miner commits, say, the hash and address of its model; validators read every commitment of
the subnet. One call, ``set_commitment(netuid, info)``, stores ``CommitmentOf[netuid][hotkey]``
and ``LastCommitment[netuid][hotkey]``; see :mod:`.set_commitment`.
"""
