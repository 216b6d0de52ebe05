# Turns a binary file into a C source defining a byte array.
# cmake -DINPUT=file.bin -DOUTPUT=file.c -DSYMBOL=name -P bin2c.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}" "/* Generated from ${INPUT} by cmake/bin2c.cmake. */\n#include <stddef.h>\n#include <stdint.h>\nconst uint8_t ${SYMBOL}[] = {\n${bytes}\n};\nconst size_t ${SYMBOL}_size = ${size};\n")
