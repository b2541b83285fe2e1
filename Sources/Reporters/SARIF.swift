// Typed SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) — only what the tool emits.

struct SARIFLog: Encodable {
    var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    var version = "2.1.0"
    var runs: [SARIFRun]

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case version, runs
    }
}

struct SARIFRun: Encodable {
    var tool: SARIFTool
    var invocations: [SARIFInvocation]
    var originalUriBaseIds: [String: SARIFArtifactLocation]
    var artifacts: [SARIFArtifact]
    var results: [SARIFResult]
    var columnKind = "utf16CodeUnits"
}

struct SARIFTool: Encodable {
    var driver: SARIFDriver
}

struct SARIFDriver: Encodable {
    var name: String
    var semanticVersion: String
    var informationUri: String
    var rules: [SARIFRule]
}

struct SARIFMessage: Encodable, Hashable {
    var text: String
    var markdown: String?
}

struct SARIFRule: Encodable {
    var id: String
    var name: String
    var shortDescription: SARIFMessage
    var fullDescription: SARIFMessage
    var help: SARIFMessage
    var helpUri: String
    var defaultConfiguration: Configuration
    var properties: Properties

    struct Configuration: Encodable { var level: String }
    struct Properties: Encodable { var tags: [String] }
}

struct SARIFInvocation: Encodable {
    var executionSuccessful: Bool
    var workingDirectory: SARIFArtifactLocation
    var toolExecutionNotifications: [SARIFNotification]
}

struct SARIFNotification: Encodable {
    var level: String
    var message: SARIFMessage
    var descriptor: Descriptor?
    var locations: [SARIFLocation]?

    struct Descriptor: Encodable { var id: String }
}

struct SARIFArtifactLocation: Encodable, Hashable {
    var uri: String
    var uriBaseId: String?
}

struct SARIFArtifact: Encodable {
    var location: SARIFArtifactLocation
    var encoding: String?
    var properties: [String: String]?
}

struct SARIFRegion: Encodable, Hashable {
    var startLine: Int
    var startColumn: Int
    var endLine: Int
    var endColumn: Int
    var snippet: SARIFMessage?
}

struct SARIFPhysicalLocation: Encodable, Hashable {
    var artifactLocation: SARIFArtifactLocation
    var region: SARIFRegion?
}

struct SARIFLocation: Encodable, Hashable {
    var id: Int?
    var physicalLocation: SARIFPhysicalLocation
    var message: SARIFMessage?
}

struct SARIFResult: Encodable {
    var ruleId: String
    var ruleIndex: Int
    var level: String
    var message: SARIFMessage
    var locations: [SARIFLocation]
    var relatedLocations: [SARIFLocation]?
    var partialFingerprints: [String: String]
    var baselineState: String?
}
