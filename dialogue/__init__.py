"""What to say: the CBT dialogue manager. Driven by text; never imports `voice`."""
