#include "config.h"
#include <stdio.h>
int main(void) { puts("lemma"); return 0; }
