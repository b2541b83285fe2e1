import CLibXML2

/// What a streaming XML parse hands its reader: elements by local name (namespaces are not
/// resolved: Word's own prefixes are not checked), attributes, and text as UTF-8.
protocol XMLStreamHandler: AnyObject {
    func start(_ name: String, _ attributes: XMLAttributes)
    func end(_ name: String)
    func text(_ utf8: UnsafeBufferPointer<UInt8>)
    /// Set by the handler to end the parse early (the stream stops feeding libxml2).
    var stopped: Bool { get }
}

/// The attributes of one start tag, as libxml2's SAX2 hands them (valid while the call lasts).
struct XMLAttributes {
    let count: Int
    /// Five pointers per attribute: local name, prefix, URI, value start, value end.
    let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

    /// The value of the first attribute with that local name.
    func value(_ localName: String) -> String? {
        guard let base else { return nil }
        for i in 0..<count {
            guard let name = base[5 * i], let start = base[5 * i + 3], let end = base[5 * i + 4] else { continue }
            if String(cString: name) == localName {
                return String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
            }
        }
        return nil
    }
}

/// libxml2's SAX2 push parser, fed in pieces: the XML is never held whole, so a large part costs
/// the size of what the handler keeps, not of the XML.
///
/// Safe on hostile XML: `XML_PARSE_HUGE` (a text node or name past 10 MB is not an error; the
/// XML's size is bounded by whoever feeds it), no network, no DTD loaded, no entity declared in the
/// document ever expanded (no entity callback stores one), and the declared encoding ignored (the
/// bytes are UTF-8, or UTF-16 with a byte-order mark). An entity reference that is not one of XML's
/// five is kept as its literal text (`&nbsp;`), so the text after it is not lost; past
/// `maximumEntityNames` different names, and for a name longer than `maximumEntityName` bytes,
/// the reference is dropped.
final class XMLStream {
    /// Largest number of distinct undefined entity names kept as literal text, and longest name.
    static let maximumEntityNames = 1000
    static let maximumEntityName = 64

    let handler: XMLStreamHandler
    private var context: xmlParserCtxtPtr?
    /// The first fatal error (libxml2's message and line), if any.
    private(set) var failure: (line: Int, message: String)?
    /// The line libxml2 had reached.
    var line: Int { context.map { Int(xmlSAX2GetLineNumber($0)) } ?? 0 }
    /// Entities handed out for undefined names; freed with the stream.
    private var entities: [String: UnsafeMutablePointer<xmlEntity>] = [:]
    private var dropped: UnsafeMutablePointer<xmlEntity>?

    init(handler: XMLStreamHandler) {
        self.handler = handler
        libxml2Ready()
    }

    deinit {
        if let context { xmlFreeParserCtxt(context) }
        for entity in entities.values { Self.free(entity) }
        if let dropped { Self.free(dropped) }
    }

    /// Hands libxml2 the next piece. False once the parse has failed or the handler stopped it.
    @discardableResult
    func feed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard failure == nil, !handler.stopped else { return false }
        guard !bytes.isEmpty else { return true }
        var at = 0
        if context == nil {
            // The parser is made with the first bytes, from which libxml2 detects UTF-16.
            at = min(4, bytes.count)
            guard create(UnsafeBufferPointer(rebasing: bytes[0..<at])) else { return false }
        }
        // libxml2 takes 32-bit sizes.
        while at < bytes.count {
            let n = min(bytes.count - at, 1 << 30)
            guard parse(bytes.baseAddress! + at, n, terminate: false) else { return false }
            at += n
        }
        return true
    }

    /// Ends the input. False if the parse failed or was stopped.
    @discardableResult
    func finish() -> Bool {
        guard failure == nil, !handler.stopped else { return false }
        if context == nil, !create(UnsafeBufferPointer(start: nil, count: 0)) { return false }
        return parse(nil, 0, terminate: true)
    }

    /// One call of libxml2. Its status is not looked at: it is the last error's number, warnings and
    /// namespace errors included; fatal errors come through the error callback.
    private func parse(_ bytes: UnsafePointer<UInt8>?, _ count: Int, terminate: Bool) -> Bool {
        guard let context else { return false }
        _ = xmlParseChunk(context, Self.chars(bytes), Int32(count), terminate ? 1 : 0)
        return failure == nil && !handler.stopped
    }

    private func create(_ first: UnsafeBufferPointer<UInt8>) -> Bool {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { user, localName, _, _, _, _, count, _, attributes in
            guard let user, let localName else { return }
            let stream = Unmanaged<XMLStream>.fromOpaque(user).takeUnretainedValue()
            stream.handler.start(String(cString: localName), XMLAttributes(count: Int(count), base: attributes))
            if stream.handler.stopped { stream.stop() }
        }
        sax.endElementNs = { user, localName, _, _ in
            guard let user, let localName else { return }
            Unmanaged<XMLStream>.fromOpaque(user).takeUnretainedValue().handler.end(String(cString: localName))
        }
        let text: charactersSAXFunc = { user, bytes, count in
            guard let user, let bytes, count > 0 else { return }
            let stream = Unmanaged<XMLStream>.fromOpaque(user).takeUnretainedValue()
            stream.handler.text(UnsafeBufferPointer(start: bytes, count: Int(count)))
            if stream.handler.stopped { stream.stop() }
        }
        sax.characters = text
        sax.ignorableWhitespace = text
        sax.cdataBlock = text
        sax.getEntity = { user, name in
            guard let user, let name else { return nil }
            return Unmanaged<XMLStream>.fromOpaque(user).takeUnretainedValue().literalEntity(name)
        }
        sax.serror = { user, error in
            guard let user, let error, error.pointee.level == XML_ERR_FATAL else { return }
            let stream = Unmanaged<XMLStream>.fromOpaque(user).takeUnretainedValue()
            guard stream.failure == nil else { return }
            // The first line: libxml2 may add a second that quotes the input's bytes.
            let message = error.pointee.message.map { String(cString: $0) }?.split(separator: "\n").first.map(String.init)
            stream.failure = (Int(error.pointee.line), message ?? "错误 \(error.pointee.code)")
        }
        let user = Unmanaged.passUnretained(self).toOpaque()
        context = xmlCreatePushParserCtxt(&sax, user, Self.chars(first.baseAddress), Int32(first.count), nil)
        guard let context else {
            failure = (0, "无法创建 XML 解析器")
            return false
        }
        let options = XML_PARSE_HUGE.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
        _ = xmlCtxtUseOptions(context, Int32(options))
        return true
    }

    /// libxml2 takes its input as `char`.
    private static func chars(_ bytes: UnsafePointer<UInt8>?) -> UnsafePointer<CChar>? {
        bytes.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
    }

    private func stop() {
        if let context { xmlStopParser(context) }
    }

    /// An entity whose text is its own reference (`&name;`): libxml2 inlines an entity of the
    /// predefined kind as text, and stores none of ours, so nothing the document declares expands.
    private func literalEntity(_ name: UnsafePointer<xmlChar>) -> UnsafeMutablePointer<xmlEntity>? {
        let key = String(cString: name)
        if let known = entities[key] { return known }
        // Bounded: what is kept costs at most some 1000 × 2 × 64 bytes, whatever the document names.
        guard entities.count < Self.maximumEntityNames, key.utf8.count <= Self.maximumEntityName else {
            if dropped == nil { dropped = Self.entity(name: key, content: "") }
            return dropped
        }
        let entity = Self.entity(name: key, content: "&" + key + ";")
        entities[key] = entity
        return entity
    }

    private static func entity(name: String, content: String) -> UnsafeMutablePointer<xmlEntity> {
        let entity = UnsafeMutablePointer<xmlEntity>.allocate(capacity: 1)
        entity.initialize(to: xmlEntity())
        entity.pointee.type = XML_ENTITY_DECL
        entity.pointee.etype = XML_INTERNAL_PREDEFINED_ENTITY
        entity.pointee.name = UnsafePointer(duplicate(name))
        entity.pointee.content = duplicate(content)
        entity.pointee.length = Int32(content.utf8.count)
        return entity
    }

    private static func duplicate(_ s: String) -> UnsafeMutablePointer<xmlChar> {
        let bytes = Array(s.utf8) + [0]
        let copy = UnsafeMutablePointer<xmlChar>.allocate(capacity: bytes.count)
        copy.initialize(from: bytes, count: bytes.count)
        return copy
    }

    private static func free(_ entity: UnsafeMutablePointer<xmlEntity>) {
        UnsafeMutablePointer(mutating: entity.pointee.name)?.deallocate()
        entity.pointee.content?.deallocate()
        entity.deallocate()
    }
}
