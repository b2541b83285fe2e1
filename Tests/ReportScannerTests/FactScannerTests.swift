import ReportModel
@testable import ReportScanner
import Testing

/// The fact scanner finds its anchors sixteen bytes at a time and decodes only around them: these
/// cases pin down what it finds near block and text edges, across lines and among labels.
struct FactScannerTests {
    struct Facts {
        var dates: [DateMention]
        var period: StatisticsPeriod?
        var contacts: [ContactField]
        var bytes: [UInt8]

        init(_ text: String) {
            let source = SourceText(text)
            let scanner = FactScanner(source: source)
            dates = scanner.dates()
            period = scanner.statisticsPeriod(dates)
            contacts = scanner.contacts()
            bytes = source.bytes
        }

        func text(_ span: SourceSpan) -> String { String(decoding: bytes[span.start..<span.end], as: UTF8.self) }
        var contactValues: [String] { contacts.map(\.value) }
    }

    @Test func spansHoldTheirText() {
        let facts = Facts("联系电话：0731-1234567、0731-7654321或（0731）5555555；传真：0731-2\n二〇二〇年十二月三十一日")
        for field in facts.contacts { #expect(facts.text(field.span) == field.value) }
        for date in facts.dates { #expect(facts.text(date.span) == date.text) }
    }

    @Test func shortTextsAndTextEdges() {
        // Shorter than one block of sixteen bytes.
        #expect(Facts("电话：0731-1234567").contacts.map(\.span) == [SourceSpan(start: 9, end: 21)])
        #expect(Facts("2020年1月2日").dates.map(\.span) == [SourceSpan(start: 0, end: 15)])
        // A date in the last bytes after whole blocks, and after a four-byte scalar.
        let tail = Facts("一二三四五六七八九十一二三四五六七八九十2020年1月2日")
        #expect(tail.dates.map(\.span) == [SourceSpan(start: 60, end: 75)])
        #expect(Facts("😀2020年1月2日").dates.map(\.span) == [SourceSpan(start: 4, end: 19)])
    }

    @Test func labelsBrokenAcrossLines() {
        let facts = Facts("各位：\n电\u{3000}子\n邮 箱 ：\nhzzwgk@126.com\n")
        #expect(facts.contacts.map(\.label) == ["电子邮箱"])
        #expect(facts.contactValues == ["hzzwgk@126.com"])
        #expect(facts.contacts.first?.span == SourceSpan(start: 32, end: 46))
    }

    @Test func valuesWrappedAtALineEnd() {
        // A PDF text layer wraps long lines wherever they reach the margin.
        let facts = Facts("门户网站（https://\n   www.example.gov.cn）查阅。联系电话：0731-\n5676811；邮箱 a@b.cn。网址：http://www.x.gov.cn\n2024年")
        #expect(facts.contactValues == ["https://www.example.gov.cn", "0731-5676811", "a@b.cn", "http://www.x.gov.cn"],
                "a finished address does not take the next line's number")
        #expect(Facts("电话：0731-5676811\n2024年").contactValues == ["0731-5676811"])
    }

    @Test func dateWrappedBeforeItsYearMark() {
        let facts = Facts("统计期限为 2021 年 2 月 1 日至 2021\n年 12 月 31 日。")
        #expect(facts.dates.map { [$0.year, $0.month, $0.day] } == [[2021, 2, 1], [2021, 12, 31]])
        #expect(facts.period != nil)
        #expect(Facts("2021\n\n年 12 月 31 日").dates.isEmpty, "not across a blank line")
    }

    @Test func valuesSwallowLaterLabels() {
        // The address runs to the comma, so the 电话 inside it is not a field of its own.
        let facts = Facts("地址：长沙市芙蓉路1号电话：0731-1，邮编410000")
        #expect(facts.contacts.map(\.kind) == [.address, .postcode])
        #expect(facts.contactValues == ["长沙市芙蓉路1号电话：0731-1", "410000"])
    }

    @Test func labelWordsInProseAreNoFields() {
        #expect(Facts("我们通过电话沟通，并无地址。").contacts.isEmpty)
    }

    @Test func webAddresses() {
        let facts = Facts("网站http://www.gov.cn/xxgk/.，另见www.hunan.gov.cn)和xhttp://a.cn")
        #expect(facts.contacts.map(\.kind) == [.url, .url])
        #expect(facts.contactValues == ["http://www.gov.cn/xxgk/", "www.hunan.gov.cn"], "trailing punctuation dropped, none inside a word")
    }

    @Test func severalNumbersAndEmailLabels() {
        let phones = Facts("联系电话：0731-1234567、0731-7654321或（0731）5555555；传真：0731-2")
        #expect(phones.contacts.map(\.label) == ["联系电话", "联系电话", "联系电话", "传真"])
        #expect(phones.contactValues == ["0731-1234567", "0731-7654321", "（0731）5555555", "0731-2"])
        let mail = Facts("E-mail：a@b.cn；email: x@y.com")
        #expect(mail.contacts.map(\.label) == ["E-mail", "email"])
        #expect(mail.contactValues == ["a@b.cn", "x@y.com"])
    }

    @Test func dateStylesAndLineBreaks() {
        let facts = Facts("二〇二〇年十二月三十一日；2020年\n1 月 2 日；2020\n年1月1日")
        #expect(facts.dates.map(\.text) == ["二〇二〇年十二月三十一日", "2020年\n1 月 2 日", "2020\n年1月1日"],
                "a line break between the year and 年 is a wrapped line (a PDF text layer)")
        #expect(facts.dates.map(\.style) == [.chineseNumerals, .spaced, .standard], "a wrap alone is not a spaced date")
        #expect(facts.dates.map(\.day) == [31, 2, 1])
    }

    @Test func separatedDates() {
        let facts = Facts("12020.1.2 2020.1.2.3 2020-01-20 ２０２０.1.2 1899.1.1 2020/1/20")
        #expect(facts.dates.map(\.text) == ["2020-01-20", "2020/1/20"])
        #expect(facts.dates.map(\.style) == [.iso, .dotted])
        #expect(facts.dates.map(\.span.start) == [21, 58])
    }

    @Test func statisticsPeriods() {
        let short = Facts("本报告统计期限为2020年1月1日至12月31日。")
        #expect(short.period?.end.text == "12月31日", "the year of the end date left out")
        #expect(short.period?.end.year == 2020)
        #expect(short.period?.span == SourceSpan(start: 24, end: 52))
        let dashed = Facts("统计期限：2020年1月1日——2020年12月31日")
        #expect(dashed.period?.start.text == "2020年1月1日")
        #expect(dashed.period?.end.text == "2020年12月31日")
        #expect(Facts("发布时间：2021年1月20日至2021年2月1日").period == nil, "no statistics word before it")
    }

    @Test("电话/传真 labels one number; a count of calls is not a phone number")
    func phoneAndFaxAndCounts() {
        let shared = Facts("邮编：350000；电话/传真：0591-23165370。")
        #expect(shared.contacts.filter { $0.kind == .phone }.map(\.value) == ["0591-23165370"])
        #expect(Facts("全年累计接听电话84472通，解答咨询。").contacts.filter { $0.kind == .phone }.isEmpty)
        #expect(Facts("咨询电话12345次").contacts.filter { $0.kind == .phone }.isEmpty)
        // With a colon it is a number as written, whatever follows.
        #expect(Facts("电话：84472通").contacts.filter { $0.kind == .phone }.map(\.value) == ["84472"])
    }
}
