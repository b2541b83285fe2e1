import ReportLintCLI

CommandLineTool.main()
