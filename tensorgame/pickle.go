package tensorgame

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// checkPickle walks the opcodes of a Python pickle and fails when one is
// unknown or claims an argument longer than the bytes that remain. The
// unpickler (github.com/nlpodyssey/gopickle) allocates the length an opcode
// claims before reading it, so a pickle of a few bytes claiming a 1 TiB
// string would exhaust memory, which recover cannot catch. After this
// check every allocation of the unpickler is bounded by len(b).
func checkPickle(b []byte) error {
	for i := 0; i < len(b); {
		op := b[i]
		at := i
		i++
		rest := len(b) - i
		need := func(n uint64) error {
			if n > uint64(rest) {
				return fmt.Errorf("pickle opcode %#x at byte %d claims %d bytes, %d remain", op, at, n, rest)
			}
			i += int(n)
			rest -= int(n)
			return nil
		}
		// sized reads a little-endian length of w bytes, then claims it.
		sized := func(w int) error {
			if err := need(uint64(w)); err != nil {
				return err
			}
			var n uint64
			switch w {
			case 1:
				n = uint64(b[i-1])
			case 4:
				n = uint64(binary.LittleEndian.Uint32(b[i-4:]))
			case 8:
				n = binary.LittleEndian.Uint64(b[i-8:])
			}
			return need(n)
		}
		line := func() error {
			j := bytes.IndexByte(b[i:], '\n')
			if j < 0 {
				return fmt.Errorf("pickle opcode %#x at byte %d: argument has no end of line", op, at)
			}
			i += j + 1
			rest -= j + 1
			return nil
		}
		var err error
		switch op {
		case '.': // STOP
			return nil
		case '(', '0', '1', '2', 'N', 'a', 'b', 'd', '}', 'e', 'l', ']', 'o', 'R', 's', 't', ')', 'u', 'Q',
			0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x97, 0x98:
			// no argument
		case 'K', 'h', 'q', 0x80, 0x82: // BININT1, BINGET, BINPUT, PROTO, EXT1
			err = need(1)
		case 'M', 0x83: // BININT2, EXT2
			err = need(2)
		case 'J', 'j', 'r', 0x84: // BININT, LONG_BINGET, LONG_BINPUT, EXT4
			err = need(4)
		case 'G': // BINFLOAT
			err = need(8)
		case 0x95: // FRAME: its length, then the opcodes it holds
			if err = need(8); err == nil {
				if n := binary.LittleEndian.Uint64(b[i-8:]); n > uint64(rest) {
					err = fmt.Errorf("pickle frame at byte %d claims %d bytes, %d remain", at, n, rest)
				}
			}
		case 'U', 'C', 0x8c, 0x8a: // SHORT_BINSTRING, SHORT_BINBYTES, SHORT_BINUNICODE, LONG1
			err = sized(1)
		case 'T', 'X', 'B', 0x8b: // BINSTRING, BINUNICODE, BINBYTES, LONG4
			err = sized(4)
		case 0x8d, 0x8e, 0x96: // BINUNICODE8, BINBYTES8, BYTEARRAY8
			err = sized(8)
		case 'I', 'L', 'S', 'V', 'F', 'g', 'p', 'P': // text arguments
			err = line()
		case 'c', 'i': // GLOBAL, INST: module and name
			if err = line(); err == nil {
				err = line()
			}
		default:
			err = fmt.Errorf("unknown pickle opcode %#x at byte %d", op, at)
		}
		if err != nil {
			return err
		}
	}
	return fmt.Errorf("pickle ends without a STOP opcode")
}
