"""`python -m ils_intake` runs the command line."""

from ils_intake.cli import app

app(prog_name="ils-intake")
