"""JSON Schemas for deployment files and rule packs, published for editors."""
