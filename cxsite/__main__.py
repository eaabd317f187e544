"""`python -m cxsite`: the same command line as the `cxsite` script."""

from cxsite.client import main

if __name__ == "__main__":  # not when a worker process imports this module again
    main()
