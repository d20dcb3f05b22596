"""Papers for the road: trip manifests and movement notifications, as A4 PDFs in English and Arabic."""
