"""taonet.cli."""
