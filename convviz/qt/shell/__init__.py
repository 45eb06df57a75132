"""The shell: the application, the main window that assembles the rooms, its menus, playback,
the undo stack and headless rendering."""
