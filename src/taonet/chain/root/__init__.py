"""The root network (netuid 0, era A): membership by stake, root weights over subnets."""
