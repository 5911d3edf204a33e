"""In flows: what the dossier receives through the platform, offered to its software through the API."""
