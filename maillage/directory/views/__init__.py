"""Views of the directory, one module per feature (records and search, actor maps, map, orientation, agenda)."""
