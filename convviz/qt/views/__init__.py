"""The main views on the stage: the input, the computation, the feature map and the link
between the window and its output cell."""
