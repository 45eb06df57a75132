"""Files in the window: projects (open, save, autosave, recovery), exports, animations and
imported pictures and data."""
