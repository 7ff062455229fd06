from taonet.cli.main import main

main()
