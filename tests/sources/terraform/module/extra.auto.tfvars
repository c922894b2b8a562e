sg = "sg-123"
