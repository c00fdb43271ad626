// Compiles a Typst file to PDF with Typst's Node addon
// (@myriaddreamin/typst-ts-node-compiler): node typst.cjs IN.typ OUT.pdf FONTDIR
const fs = require('fs');
const path = require('path');
const { NodeCompiler } = require('@myriaddreamin/typst-ts-node-compiler');
const [input, output, fonts] = process.argv.slice(2);
const compiler = NodeCompiler.create({ workspace: path.dirname(input), fontArgs: [{ fontPaths: [fonts] }] });
fs.writeFileSync(output, compiler.pdf({ mainFilePath: input }));
