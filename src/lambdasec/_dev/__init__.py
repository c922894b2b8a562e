"""Developer tools: data-file generators and checks, not used at scan time."""
