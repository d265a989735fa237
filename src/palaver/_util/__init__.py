"""Private helpers shared by several layers (imports nothing else from Palaver)."""
