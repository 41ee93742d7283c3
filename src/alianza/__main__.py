from alianza.cli import main

main()
