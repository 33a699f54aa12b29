#include "code_names.hpp"

#include <array>
#include <utility>

namespace dns {

namespace {

struct NamedCode {
    uint16_t code;
    const char* name;
};

// Every record type that has a mnemonic in IANA's registry, in the order of
// their numbers.
constexpr NamedCode record_types[] = {
    {1, "A"},           {2, "NS"},       {3, "MD"},        {4, "MF"},       {5, "CNAME"},
    {6, "SOA"},         {7, "MB"},       {8, "MG"},        {9, "MR"},       {10, "NULL"},
    {11, "WKS"},        {12, "PTR"},     {13, "HINFO"},    {14, "MINFO"},   {15, "MX"},
    {16, "TXT"},        {17, "RP"},      {18, "AFSDB"},    {19, "X25"},     {20, "ISDN"},
    {21, "RT"},         {22, "NSAP"},    {23, "NSAP-PTR"}, {24, "SIG"},     {25, "KEY"},
    {26, "PX"},         {27, "GPOS"},    {28, "AAAA"},     {29, "LOC"},     {30, "NXT"},
    {31, "EID"},        {32, "NIMLOC"},  {33, "SRV"},      {34, "ATMA"},    {35, "NAPTR"},
    {36, "KX"},         {37, "CERT"},    {38, "A6"},       {39, "DNAME"},   {40, "SINK"},
    {41, "OPT"},        {42, "APL"},     {43, "DS"},       {44, "SSHFP"},   {45, "IPSECKEY"},
    {46, "RRSIG"},      {47, "NSEC"},    {48, "DNSKEY"},   {49, "DHCID"},   {50, "NSEC3"},
    {51, "NSEC3PARAM"}, {52, "TLSA"},    {53, "SMIMEA"},   {55, "HIP"},     {56, "NINFO"},
    {57, "RKEY"},       {58, "TALINK"},  {59, "CDS"},      {60, "CDNSKEY"}, {61, "OPENPGPKEY"},
    {62, "CSYNC"},      {63, "ZONEMD"},  {64, "SVCB"},     {65, "HTTPS"},   {66, "DSYNC"},
    {67, "HHIT"},       {68, "BRID"},    {99, "SPF"},      {100, "UINFO"},  {101, "UID"},
    {102, "GID"},       {103, "UNSPEC"}, {104, "NID"},     {105, "L32"},    {106, "L64"},
    {107, "LP"},        {108, "EUI48"},  {109, "EUI64"},   {249, "TKEY"},   {250, "TSIG"},
    {251, "IXFR"},      {252, "AXFR"},   {253, "MAILB"},   {254, "MAILA"},  {255, "ANY"},
    {256, "URI"},       {257, "CAA"},    {258, "AVC"},     {259, "DOA"},    {260, "AMTRELAY"},
    {261, "RESINFO"},   {262, "WALLET"}, {32768, "TA"},    {32769, "DLV"},
};

constexpr NamedCode classes[] = {
    {0, "RESERVED0"}, {1, "IN"}, {3, "CH"}, {4, "HS"}, {254, "NONE"}, {255, "ANY"},
};

// RFC 1035 section 4.1.1, RFC 1996 (NOTIFY), RFC 2136 (UPDATE).
constexpr std::array<const char*, 16> opcodes = {
    "QUERY",      "IQUERY",     "STATUS",     "RESERVED3",  "NOTIFY",     "UPDATE",
    "RESERVED6",  "RESERVED7",  "RESERVED8",  "RESERVED9",  "RESERVED10", "RESERVED11",
    "RESERVED12", "RESERVED13", "RESERVED14", "RESERVED15",
};

// RFC 1035 section 4.1.1 (0-5), RFC 2136 (6-10), RFC 6891 (16, with EDNS), RFC 7873 (23).
constexpr NamedCode rcodes[] = {
    {0, "NOERROR"},     {1, "FORMERR"},     {2, "SERVFAIL"},    {3, "NXDOMAIN"},
    {4, "NOTIMP"},      {5, "REFUSED"},     {6, "YXDOMAIN"},    {7, "YXRRSET"},
    {8, "NXRRSET"},     {9, "NOTAUTH"},     {10, "NOTZONE"},    {11, "RESERVED11"},
    {12, "RESERVED12"}, {13, "RESERVED13"}, {14, "RESERVED14"}, {15, "RESERVED15"},
    {16, "BADVERS"},    {23, "BADCOOKIE"},
};

template <size_t N>
const char* find_name(const NamedCode (&table)[N], uint16_t code) {
    for (const auto& entry : table)
        if (entry.code == code)
            return entry.name;
    return nullptr;
}

} // namespace

std::string type_name(uint16_t type) {
    const char* name = find_name(record_types, type);
    return name != nullptr ? name : "TYPE" + std::to_string(type);
}

std::string class_name(uint16_t klass) {
    const char* name = find_name(classes, klass);
    return name != nullptr ? name : "CLASS" + std::to_string(klass);
}

std::string opcode_name(uint8_t opcode) {
    return opcodes[opcode & 0xF];
}

std::string rcode_name(uint16_t rcode) {
    const char* name = find_name(rcodes, rcode);
    return name != nullptr ? name : std::to_string(rcode);
}

} // namespace dns
