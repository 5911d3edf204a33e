"""Connections to accredited platforms (PA) through their XP Z12-013 API, and what travels through them."""
