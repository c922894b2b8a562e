"""LS3xx data rules: secrets, encryption and logs."""
