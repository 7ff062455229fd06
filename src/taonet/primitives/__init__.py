"""taonet.primitives."""
