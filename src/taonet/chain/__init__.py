"""taonet.chain."""
