"""LS6xx supply-chain rules: code signing, layers, versions and aliases, dependencies."""
