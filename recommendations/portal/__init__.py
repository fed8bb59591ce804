"""The public pages: for now the home page, from which the public portal will grow."""
