stage   = "dev"
runtime = "python3.13"
