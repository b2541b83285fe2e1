import Foundation

enum FileSystem {
    static func list(_ path: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

    /// The regular files under `path`, relative to it, sorted.
    static func files(under path: String) throws -> [String] {
        guard let items = FileManager.default.enumerator(atPath: path)?.allObjects as? [String] else { return [] }
        return items.filter { item in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: path + "/" + item, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted()
    }
}
