import sys

from seed_lsp.cli import main

sys.exit(main())
