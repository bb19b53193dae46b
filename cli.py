"""Run transcript_qa from a checkout: ``python cli.py ask "who discussed CAS3"``.

The commands are defined once, in ``transcript_qa.cli``; the installed
``transcript-qa`` script runs the same group.
"""

from transcript_qa.cli import main

if __name__ == "__main__":
    main()
