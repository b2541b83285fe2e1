import AcmeRules
import RuleKit
import RuleTesting
import Testing

struct AcmeRulesTests {
    /// Each rule's triggering examples give exactly the findings their `↓` markers show; passing ones none.
    @Test(arguments: AcmeRulesPlugin.rules.map { $0.init() as any Rule })
    func examples(_ rule: any Rule) {
        let outcome = RuleExamples.check([rule])
        #expect(outcome.checks > 0)
        #expect(outcome.failures.isEmpty, "\(outcome.failures.joined(separator: "\n"))")
    }
}
