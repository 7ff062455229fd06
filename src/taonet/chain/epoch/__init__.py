"""taonet.chain.epoch."""
