"""Issuance, per-block emission and its distribution (Subtensor's ``coinbase/``)."""
