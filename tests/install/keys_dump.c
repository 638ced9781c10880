/*
 * keys-dump — print the label of every key binding of the TUI's key map
 * (ui/keymap.h), one per line, in display order, for the man page check.
 */
#include <stdio.h>

#include "keymap.h"

int main(void)
{
	size_t n, i;
	const struct ui_key_binding *b = ui_keymap_table(&n);

	for (i = 0; i < n; i++)
		puts(b[i].label);
	return 0;
}
