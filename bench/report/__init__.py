"""What a run leaves: its figures and targets, the tables, JSON, PNG, results/README.md, plans."""
