"""Excel in and out: the ledgers, the blank self-inspection template, the import reader."""
