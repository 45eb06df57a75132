"""The docked panels and the toolbar: kernel, parameters, layers and the transport."""
