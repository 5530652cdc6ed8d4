"""Dialogue policies of this assistant (config.yml, `policies:`)."""
