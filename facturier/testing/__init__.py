"""Real local servers the tests talk to: SMTP and HTTP stand-ins for outside services."""
