#include "question.hpp"

namespace dns {

Question parse_question(MessageReader& reader) {
    Question question;
    question.name = parse_name(reader);
    question.type = reader.read_u16("question's type");
    question.klass = reader.read_u16("question's class");
    return question;
}

} // namespace dns
