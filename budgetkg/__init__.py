"""budgetkg: budget disclosures into a knowledge graph."""
