/* golayout_dump: bootscope's table of Go runtime layouts (debugger/golayout)
 * as JSON Lines, one release a line, for tests/go/layout.py:
 * {"release":"go1.19","sizes":{"g":392,…},"p_runq_len":256,
 *  "fields":{"g.stack.lo":[0,8],…}} */
#include <stdio.h>

#include "golayout.h"

int main(void)
{
	static const char *const short_names[DBG_GO_NSTRUCT] = { "g", "m", "p", "schedt" };

	for (size_t i = 0; i < dbg_golayout_count(); i++) {
		const struct dbg_golayout *t = dbg_golayout_at(i);
		printf("{\"release\":\"%s\",\"sizes\":{", t->release);
		for (size_t s = 0; s < DBG_GO_NSTRUCT; s++)
			printf("%s\"%s\":%llu", s ? "," : "", short_names[s],
			       (unsigned long long)t->types[s].size);
		printf("},\"p_runq_len\":%llu,\"fields\":{", (unsigned long long)t->p_runq_len);
		for (size_t f = 0; f < DBG_GOF_COUNT; f++)
			printf("%s\"%s.%s\":[%u,%u]", f ? "," : "", short_names[dbg_gofields[f].in],
			       dbg_gofields[f].path, t->f[f].off, t->f[f].size);
		printf("}}\n");
	}
	return 0;
}
