import AcmeRules
import ReportLintCLI

// ReportLint's commands (lint, explain, rules, test-rules, …) with the Acme rules beside the built-in ones.
CommandLineTool.main(plugins: [AcmeRulesPlugin.self])
