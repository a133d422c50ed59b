"""ils-intake: receives rental leads from Internet Listing Services."""

__version__ = "0.1.0"
