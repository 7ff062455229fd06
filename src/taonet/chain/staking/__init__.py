"""Staking (era A): TAO stake on hotkeys, delegation and nominators, child keys."""
