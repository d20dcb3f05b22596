"""Storage: the ledger, the views built from it, migrations."""
