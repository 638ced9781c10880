/* disasm — capstone wrapper (see disasm.h). */
#include "disasm.h"

#include <capstone/capstone.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decoded instructions kept by address: a decode depends only on the
 * address and the instruction's bytes, so an entry whose bytes are the
 * bytes read now is that decode (stepping decodes the same pcs again and
 * again; capstone costs thousands of instructions for each). */
#define DISASM_CACHE 1024

struct dbg_disasm {
	csh h;
	cs_insn *insn;                    /* the one decode buffer */
	enum dbg_reg map[X86_REG_ENDING]; /* capstone register → full register */
	struct dbg_insn *cache;           /* DISASM_CACHE entries, size 0 = empty */
};

/* Full register of a general-purpose register name of any width. */
static enum dbg_reg full_reg(const char *n)
{
	static const struct {
		enum dbg_reg r;
		const char *names[5];
	} gpr[] = {
		{ DBG_REG_RAX, { "rax", "eax", "ax", "al", "ah" } },
		{ DBG_REG_RBX, { "rbx", "ebx", "bx", "bl", "bh" } },
		{ DBG_REG_RCX, { "rcx", "ecx", "cx", "cl", "ch" } },
		{ DBG_REG_RDX, { "rdx", "edx", "dx", "dl", "dh" } },
		{ DBG_REG_RSI, { "rsi", "esi", "si", "sil", NULL } },
		{ DBG_REG_RDI, { "rdi", "edi", "di", "dil", NULL } },
		{ DBG_REG_RBP, { "rbp", "ebp", "bp", "bpl", NULL } },
		{ DBG_REG_RSP, { "rsp", "esp", "sp", "spl", NULL } },
		{ DBG_REG_RIP, { "rip", "eip", "ip", NULL, NULL } },
		{ DBG_REG_FS, { "fs", NULL, NULL, NULL, NULL } },
		{ DBG_REG_GS, { "gs", NULL, NULL, NULL, NULL } },
	};
	for (size_t i = 0; i < sizeof(gpr) / sizeof(gpr[0]); i++)
		for (size_t k = 0; k < 5 && gpr[i].names[k]; k++)
			if (strcmp(gpr[i].names[k], n) == 0)
				return gpr[i].r;
	if (n[0] == 'r' && n[1] >= '0' && n[1] <= '9') {
		char *end;
		long num = strtol(n + 1, &end, 10);
		if (num >= 8 && num <= 15 &&
		    (*end == '\0' ||
		     ((*end == 'd' || *end == 'w' || *end == 'b') && end[1] == '\0')))
			return (enum dbg_reg)(DBG_REG_R8 + (num - 8));
	}
	return DBG_REG_OTHER;
}

int dbg_disasm_open(struct dbg_disasm **out, struct dbg_err *err)
{
	*out = NULL;
	struct dbg_disasm *d = calloc(1, sizeof(*d));
	if (!d)
		return dbg_err_errno(err, -ENOMEM, "cannot open the disassembler");
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &d->h) != CS_ERR_OK) {
		free(d);
		return dbg_err_set(err, -EINVAL,
				   "cannot open the disassembler: capstone refused x86-64");
	}
	cs_option(d->h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	cs_option(d->h, CS_OPT_DETAIL, CS_OPT_ON);
	d->insn = cs_malloc(d->h);
	if (!d->insn) {
		cs_close(&d->h);
		free(d);
		return dbg_err_errno(err, -ENOMEM, "cannot open the disassembler");
	}
	for (int r = 1; r < X86_REG_ENDING; r++) {
		const char *n = cs_reg_name(d->h, (unsigned)r);
		d->map[r] = n ? full_reg(n) : DBG_REG_OTHER;
	}
	d->map[0] = DBG_REG_NONE;
	*out = d;
	return 0;
}

void dbg_disasm_free(struct dbg_disasm *d)
{
	if (!d)
		return;
	cs_free(d->insn, 1);
	cs_close(&d->h);
	free(d->cache);
	free(d);
}

static enum dbg_reg map_reg(const struct dbg_disasm *d, unsigned r)
{
	return r < X86_REG_ENDING ? d->map[r] : DBG_REG_OTHER;
}

static bool in_group(const cs_detail *det, uint8_t g)
{
	for (uint8_t i = 0; i < det->groups_count; i++)
		if (det->groups[i] == g)
			return true;
	return false;
}

static void convert(const struct dbg_disasm *d, const cs_insn *ci, struct dbg_insn *o)
{
	memset(o, 0, sizeof(*o));
	o->addr = ci->address;
	o->size = (uint8_t)ci->size;
	memcpy(o->bytes, ci->bytes, ci->size < 16 ? ci->size : 16);
	snprintf(o->mnemonic, sizeof(o->mnemonic), "%s", ci->mnemonic);
	snprintf(o->ops, sizeof(o->ops), "%s", ci->op_str);
	const cs_detail *det = ci->detail;
	o->is_call = in_group(det, CS_GRP_CALL);
	o->is_ret = in_group(det, CS_GRP_RET);
	o->is_jump = in_group(det, CS_GRP_JUMP);
	o->is_syscall = ci->id == X86_INS_SYSCALL;
	const cs_x86 *x = &det->x86;
	uint8_t n = x->op_count < 4 ? x->op_count : 4;
	o->nops = n;
	for (uint8_t i = 0; i < n; i++) {
		const cs_x86_op *s = &x->operands[i];
		struct dbg_operand *p = &o->op[i];
		p->size = s->size;
		p->read = (s->access & CS_AC_READ) != 0;
		p->write = (s->access & CS_AC_WRITE) != 0;
		switch (s->type) {
		case X86_OP_REG:
			p->type = DBG_OP_REG;
			p->reg = map_reg(d, s->reg);
			break;
		case X86_OP_IMM:
			p->type = DBG_OP_IMM;
			p->imm = s->imm;
			break;
		case X86_OP_MEM:
			p->type = DBG_OP_MEM;
			p->mem.seg = s->mem.segment ? map_reg(d, s->mem.segment) : DBG_REG_NONE;
			p->mem.base = s->mem.base ? map_reg(d, s->mem.base) : DBG_REG_NONE;
			p->mem.index = s->mem.index ? map_reg(d, s->mem.index) : DBG_REG_NONE;
			p->mem.scale = s->mem.scale;
			p->mem.disp = s->mem.disp;
			if (p->mem.base == DBG_REG_RIP && p->mem.index == DBG_REG_NONE)
				p->mem.addr = ci->address + ci->size + (uint64_t)s->mem.disp;
			else if (p->mem.base == DBG_REG_NONE && p->mem.index == DBG_REG_NONE &&
				 p->mem.seg == DBG_REG_NONE)
				p->mem.addr = (uint64_t)s->mem.disp;
			break;
		default:
			p->type = DBG_OP_NONE;
			break;
		}
	}
	if ((o->is_call || o->is_jump) && n >= 1 && o->op[0].type == DBG_OP_IMM)
		o->target = (uint64_t)o->op[0].imm;
}

size_t dbg_disasm_buf(struct dbg_disasm *d, const uint8_t *code, size_t n, uint64_t addr,
		      struct dbg_insn *out, size_t max)
{
	size_t count = 0;
	const uint8_t *p = code;
	size_t left = n;
	uint64_t a = addr;
	if (!d->cache)
		d->cache = calloc(DISASM_CACHE, sizeof(*d->cache));
	while (count < max && left > 0) {
		struct dbg_insn *c = d->cache ? &d->cache[(a ^ (a >> 10)) % DISASM_CACHE] : NULL;

		if (c && c->size && c->addr == a && c->size <= left &&
		    memcmp(c->bytes, p, c->size) == 0) {
			out[count++] = *c;
			p += c->size;
			left -= c->size;
			a += c->size;
			continue;
		}
		if (!cs_disasm_iter(d->h, &p, &left, &a, d->insn))
			break;
		convert(d, d->insn, &out[count]);
		if (c && out[count].size <= sizeof(c->bytes))
			*c = out[count];
		count++;
	}
	return count;
}

int dbg_disasm_one(struct dbg_disasm *d, const uint8_t *code, size_t n, uint64_t addr,
		   struct dbg_insn *out, struct dbg_err *err)
{
	if (dbg_disasm_buf(d, code, n, addr, out, 1) == 1)
		return 0;
	return dbg_err_set(err, -EILSEQ, "cannot decode instruction at 0x%" PRIx64, addr);
}

const struct dbg_operand *dbg_insn_dst(const struct dbg_insn *in)
{
	if (in->nops == 0)
		return NULL;
	return &in->op[in->nops - 1];
}

/* src at buf[*at] within n bytes (the last kept for the NUL), as snprintf
 * would truncate it. */
static void text_put(char *buf, size_t n, size_t *at, const char *src)
{
	size_t l = strlen(src);

	if (*at + l >= n)
		l = n - 1 - *at;
	memcpy(buf + *at, src, l);
	*at += l;
}

void dbg_insn_text(const struct dbg_insn *in, char *buf, size_t n)
{
	size_t at = 0;

	if (n == 0)
		return;
	text_put(buf, n, &at, in->mnemonic);
	if (in->ops[0]) {
		text_put(buf, n, &at, " ");
		text_put(buf, n, &at, in->ops);
	}
	buf[at] = '\0';
}
