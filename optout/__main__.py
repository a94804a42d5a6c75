from optout.cli import main

main()
